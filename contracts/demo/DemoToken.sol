// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import { ERC20 } from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title DemoToken
/// @notice DEMO ONLY: an ERC-20 that anyone can mint, so that `npm start` and the CLI's end-to-end tests can open and
/// fund an ERC-20 royalty pool on a local node. It is never part of a deployment (the Ignition module does not
/// deploy it) and must never be deployed to a network where it could be mistaken for money.
contract DemoToken is ERC20 {
    /// @notice The token's decimals, fixed at construction (USDC-like tokens use 6).
    uint8 private immutable _DECIMALS;

    /// @param name_ The token's name.
    /// @param symbol_ The token's symbol.
    /// @param decimals_ How many decimals an amount has.
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _DECIMALS = decimals_;
    }

    /// @notice Mints `amount` to `to`. Anyone may: this is a demo token.
    /// @param to The wallet credited.
    /// @param amount The amount, in the token's smallest unit.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }
}
