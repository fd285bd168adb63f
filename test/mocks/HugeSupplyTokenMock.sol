// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @notice A hostile token whose whole supply, 2^256 - 1 units, belongs to its deployer: enough to push a pool's
/// accumulator past any width.
contract HugeSupplyTokenMock is ERC20 {
    constructor() ERC20("Huge Supply", "HUGE") {
        _mint(msg.sender, type(uint256).max);
    }
}
