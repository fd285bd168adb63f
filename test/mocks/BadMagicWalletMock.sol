// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { IERC1271 } from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/// @notice A smart wallet that answers every ERC-1271 query with a wrong magic value (off by one bit).
contract BadMagicWalletMock is IERC1271 {
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4 magicValue) {
        magicValue = bytes4(uint32(IERC1271.isValidSignature.selector) ^ 1);
    }
}
